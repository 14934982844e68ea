import { Global, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { Revision, RevisionSchema } from './revision.schema';
import { RevisionsService } from './revisions.service';

@Global()
@Module({
  imports: [MongooseModule.forFeature([{ name: Revision.name, schema: RevisionSchema }])],
  providers: [RevisionsService],
  exports: [RevisionsService],
})
export class RevisionsModule {}
