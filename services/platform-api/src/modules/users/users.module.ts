import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { ActorService } from './actor.service';
import { PlatformAdmins } from './platform-admins';
import { User, UserSchema } from './user.schema';
import { UsersController } from './users.controller';
import { UsersRepository } from './users.repository';
import { UsersService } from './users.service';

@Module({
  imports: [MongooseModule.forFeature([{ name: User.name, schema: UserSchema }])],
  controllers: [UsersController],
  providers: [UsersRepository, UsersService, ActorService, PlatformAdmins],
  exports: [UsersService, ActorService, PlatformAdmins],
})
export class UsersModule {}
