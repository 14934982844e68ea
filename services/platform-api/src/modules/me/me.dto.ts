import { ApiProperty } from '@nestjs/swagger';
import { PLANS } from '@dezky/contracts';

export class MeProfileDto {
  @ApiProperty() id!: string;
  @ApiProperty() email!: string;
  @ApiProperty() name!: string;
  @ApiProperty() platformAdmin!: boolean;
}

export class MeSubscriptionDto {
  @ApiProperty({ enum: PLANS }) plan!: string;
  @ApiProperty({ enum: ['trialing', 'active', 'canceled'] }) status!: string;
  @ApiProperty() seats!: number;
  @ApiProperty({ description: 'Integer cents per month' }) monthlyPrice!: number;
  @ApiProperty({ example: 'EUR' }) currency!: string;
}

export class MeTenantDto {
  @ApiProperty() id!: string;
  @ApiProperty() slug!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PLANS }) plan!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty({ enum: ['owner', 'member'] }) role!: string;
  @ApiProperty({ type: MeSubscriptionDto, nullable: true, description: "This tenant's subscription" })
  subscription!: MeSubscriptionDto | null;
}

export class MeDto {
  @ApiProperty({ type: MeProfileDto }) profile!: MeProfileDto;
  @ApiProperty({ type: [MeTenantDto], description: 'Tenants the user belongs to, oldest membership first, each with its own subscription' })
  tenants!: MeTenantDto[];
  @ApiProperty({
    type: MeSubscriptionDto,
    nullable: true,
    description: 'The subscription of the first tenant in `tenants` (null without tenants); every tenant carries its own in `tenants[].subscription`',
  })
  subscription!: MeSubscriptionDto | null;
}
